check --victim USA --object vessel --lat 60.251 --lon -178.484 --date 2024-05-20 --treaty rio
