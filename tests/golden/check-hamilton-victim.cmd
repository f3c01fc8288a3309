check --victim CAN --object territory --at Hamilton --date 2024-05-20 --treaty north-atlantic
