where --lat 44.10 --lon 28.78 --date 2024-05-20 --json
