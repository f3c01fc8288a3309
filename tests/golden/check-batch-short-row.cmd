check --batch batch-short.csv
