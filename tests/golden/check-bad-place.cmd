check --victim USA --object territory --at Kyev --date 2024-05-20
