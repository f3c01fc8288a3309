check --victim USA --object forces --at Paris --date 1950-06-01 --treaty north-atlantic
