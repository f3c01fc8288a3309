describe example-scenario.casus
