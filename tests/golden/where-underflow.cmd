where --lat 1e-400 --lon -0 --date 2024-05-20
