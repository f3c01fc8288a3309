fit egame12 --data fit-bad-dummy.csv --formula 'a + b ~ 1 | 0 | x | 1'
