check --attacker SUN --victim USA --object forces --at Vienna --date 1950-06-01 --treaty north-atlantic
