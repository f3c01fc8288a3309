check --victim USA --object vessel --lat 60.251 --lon 179.516 --date 2024-05-20 --treaty rio
