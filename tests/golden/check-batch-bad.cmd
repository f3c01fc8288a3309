check --batch bad-batch.csv
