actors UK --date 2024-05-20
