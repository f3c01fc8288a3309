where Naha --date 1965-06-01 --json
