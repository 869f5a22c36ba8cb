#!/bin/bash
cd /work/wt/search && DEBUG_QUERIES="$1" dotnet test tests/Bot.Core.Tests --filter "FullyQualifiedName~SearchDebugTests" --logger "console;verbosity=detailed" 2>&1 | grep -E "^\s+(##|  )" | grep -v "^\s*$" | grep -vE "Passed|Failed|Total|Standard"
