describe example-scenario.casus --scenario nope
