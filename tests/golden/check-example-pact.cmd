check --load example-pact.casus --victim FIN --object territory --at Helsinki --date 2031-01-01 --treaty example-pact
