where Valletta --date 1960-01-01 --json
