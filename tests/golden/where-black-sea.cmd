where --lat 43 --lon 34 --date 2024-05-20 --json
