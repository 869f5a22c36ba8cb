#!/bin/bash
cd /work/wt/search && dotnet test tests/Bot.Core.Tests --filter "FullyQualifiedName~LabelledQueries_NeverFareWorse" --logger "console;verbosity=detailed" 2>&1 | grep -vE "^\s*$" | grep -E "queries:|Wrong|Unsure|Missed| error" 
