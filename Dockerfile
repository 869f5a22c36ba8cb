# syntax=docker/dockerfile:1

# ---- build: restore, run the whole test suite, publish ----
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
# python3 is the test oracle: every content example runs under it.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src

# Project files first, so the restore layer is cached until a dependency changes.
COPY Bot.sln Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/Bot.Core/Bot.Core.csproj src/Bot.Core/
COPY src/Bot.Host/Bot.Host.csproj src/Bot.Host/
COPY tests/Bot.Core.Tests/Bot.Core.Tests.csproj tests/Bot.Core.Tests/
COPY tests/Bot.Host.Tests/Bot.Host.Tests.csproj tests/Bot.Host.Tests/
COPY tests/Bot.Benchmarks/Bot.Benchmarks.csproj tests/Bot.Benchmarks/
RUN dotnet restore Bot.sln

COPY . .
RUN dotnet test Bot.sln --no-restore
RUN dotnet publish src/Bot.Host/Bot.Host.csproj -c Release --no-restore -o /app

# ---- runtime: the bot, its settings and the course; runs as the image's non-root user ----
FROM mcr.microsoft.com/dotnet/runtime:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
COPY appsettings.json ./
COPY content ./content
RUN mkdir -p /data && chown "$APP_UID" /data

# Configuration is by environment variable (Section__Key); secrets may also be files in /run/secrets.
ENV DOTNET_NOLOGO=1 \
    Content__Path=/app/content \
    Storage__Path=/data/bot.db
VOLUME ["/app/content", "/data"]

USER $APP_UID
ENTRYPOINT ["dotnet", "bot.dll"]
