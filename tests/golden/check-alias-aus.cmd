check --victim aus --object territory --at Canberra --date 2024-05-20 --treaty anzus
