lint bad-check.casus
