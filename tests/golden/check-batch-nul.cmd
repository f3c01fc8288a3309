check --batch batch-nul.csv
