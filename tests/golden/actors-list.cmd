actors --date 2024-05-20
