check --victim ITA --object vessel --lat 0x10 --lon 0
