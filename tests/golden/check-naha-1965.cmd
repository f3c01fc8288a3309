check --victim JPN --object territory --at Naha --date 1965-06-01 --treaty us-japan
