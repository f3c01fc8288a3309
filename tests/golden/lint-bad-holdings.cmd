lint lint-bad-holdings.casus
