lint bad-treaty.casus
