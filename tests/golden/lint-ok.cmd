lint example-pact.casus
