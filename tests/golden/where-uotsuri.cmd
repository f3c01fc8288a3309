where Uotsuri-jima --date 2024-05-20
