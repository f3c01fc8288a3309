check --batch batch-extra.csv
