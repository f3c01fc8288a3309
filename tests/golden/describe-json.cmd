describe example-scenario.casus --json
