where --lat 40.75 --lon 28.2 --date 2024-05-20
