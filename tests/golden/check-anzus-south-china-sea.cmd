check --victim USA --object vessel --lat 15 --lon 115 --date 2024-05-20 --treaty anzus
