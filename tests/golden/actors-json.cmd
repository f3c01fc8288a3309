actors Russia --date 2024-05-20 --json
