lint bad-cycle.casus
