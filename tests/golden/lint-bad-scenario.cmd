lint bad-scenario.casus
