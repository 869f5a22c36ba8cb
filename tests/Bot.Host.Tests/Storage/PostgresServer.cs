using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Bot.Host.Tests.Storage;

/// <summary>
/// A real PostgreSQL server for this test run, from Debian's <c>postgresql</c> package: made by <c>initdb</c> in a
/// temporary folder, started by <c>pg_ctl</c> on a free loopback port (its socket in the same folder), stopped and
/// deleted after the last test of <see cref="Collection"/>. PostgreSQL refuses to run as root, so as root it runs as
/// the package's <c>postgres</c> user. Each test gets a database of its own. With no PostgreSQL to be found, every
/// test that needs it fails, saying how to install it: the tests of the second provider are not optional.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    public const string Collection = "PostgreSQL server";

    private const string SystemUser = "postgres";
    private const string Superuser = "bot_tests";

    private DirectoryInfo _folder = null!;
    private string _bin = "";
    private int _databases;

    /// <summary>The superuser's password: every connection string of the tests has one, as a deployment's would.</summary>
    public string Password { get; } = "pw-" + Guid.NewGuid().ToString("N");

    public int Port { get; private set; }

    private string DataDirectory => Path.Combine(_folder.FullName, "data");

    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = Superuser,
        Password = Password,
        Database = database,
    }.ToString();

    public async Task InitializeAsync()
    {
        _bin = FindBinaries();
        _folder = Directory.CreateTempSubdirectory("bot-postgres-");
        if (Environment.IsPrivilegedProcess)
        {
            await RunAsync("chown", [SystemUser, _folder.FullName], asRoot: true);
        }

        var passwordFile = Path.Combine(_folder.FullName, "password");
        await File.WriteAllTextAsync(passwordFile, Password);
        if (Environment.IsPrivilegedProcess)
        {
            await RunAsync("chown", [SystemUser, passwordFile], asRoot: true);
        }

        await RunAsync(Path.Combine(_bin, "initdb"),
            ["-D", DataDirectory, "-U", Superuser, $"--pwfile={passwordFile}", "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C.UTF-8"]);
        File.Delete(passwordFile);

        // A port free a moment ago may be taken by the time the server binds it; then try another.
        for (var attempt = 1; ; attempt++)
        {
            Port = FreePort();
            var started = await RunAsync(Path.Combine(_bin, "pg_ctl"),
            [
                "-D", DataDirectory, "-l", Path.Combine(_folder.FullName, "server.log"), "-w", "-t", "60", "-o",
                // No durability needed for a throwaway server: its files are deleted after the run.
                $"-c port={Port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={_folder.FullName} -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
                "start",
            ], check: attempt == 3);
            if (started)
            {
                return;
            }
        }
    }

    /// <summary>A new, empty database on the server, and its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"test_{Interlocked.Increment(ref _databases)}_{Guid.NewGuid():N}"[..30];
        await using var connection = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false");
        await connection.OpenAsync();
        // Sorted as people read (ICU's en-US), as a deployment's database usually is, not byte by byte: so that a
        // query whose order depends on the collation shows it here.
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US';", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    public async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        await using var connection = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE);", connection);
        await command.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        if (_folder is null)
        {
            return;
        }

        try
        {
            if (Port != 0)
            {
                await RunAsync(Path.Combine(_bin, "pg_ctl"), ["-D", DataDirectory, "-m", "immediate", "-w", "stop"], check: false);
            }
        }
        finally
        {
            _folder.Delete(recursive: true);
        }
    }

    private static string FindBinaries()
    {
        var installed = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(folder => (Folder: folder, Version: int.TryParse(Path.GetFileName(folder), out var version) ? version : -1))
                .Where(candidate => File.Exists(Path.Combine(candidate.Folder, "bin", "initdb")) && File.Exists(Path.Combine(candidate.Folder, "bin", "pg_ctl")))
                .OrderByDescending(candidate => candidate.Version)
                .Select(candidate => Path.Combine(candidate.Folder, "bin"))
                .FirstOrDefault()
            : null;
        return installed ?? throw new InvalidOperationException(
            "PostgreSQL is not installed: the storage tests of the Postgres provider need a real server (initdb and pg_ctl under /usr/lib/postgresql/VERSION/bin). " +
            "Install Debian's package with: apt-get update && apt-get install -y postgresql (bash .ci/run does this when it is missing).");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Runs a PostgreSQL program, as the <c>postgres</c> user when this process is root.</summary>
    private async Task<bool> RunAsync(string program, IReadOnlyList<string> arguments, bool check = true, bool asRoot = false)
    {
        var unprivileged = Environment.IsPrivilegedProcess && !asRoot;
        var start = new ProcessStartInfo(unprivileged ? "runuser" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _folder.FullName,
        };
        if (unprivileged)
        {
            foreach (var argument in (string[])["-u", SystemUser, "--", program])
            {
                start.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        if (process.ExitCode != 0 && check)
        {
            var log = Path.Combine(_folder.FullName, "server.log");
            throw new InvalidOperationException(
                $"{Path.GetFileName(program)} failed with exit code {process.ExitCode}: {await stderr}{await stdout}{(File.Exists(log) ? "\nserver log:\n" + await File.ReadAllTextAsync(log) : "")}");
        }

        return process.ExitCode == 0;
    }
}

[CollectionDefinition(PostgresServer.Collection)]
public sealed class PostgresServerCollectionDefinition : ICollectionFixture<PostgresServer>;
