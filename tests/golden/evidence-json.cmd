evidence mid-disputes --where 'styear < 1900 and hostlev >= 4' --outcome 'fatality >= 3' --na -9 --json
