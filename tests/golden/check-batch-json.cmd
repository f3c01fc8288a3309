check --batch batch-ok.csv --json
