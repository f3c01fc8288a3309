where Katzrin --date 2024-05-20
