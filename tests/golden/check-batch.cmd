check --batch batch-ok.csv
