where --lat 25.744 --lon 123.474 --date 2024-05-20
