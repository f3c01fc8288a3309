where Podgorica --date 2000-01-01
