lint example-scenario.casus
