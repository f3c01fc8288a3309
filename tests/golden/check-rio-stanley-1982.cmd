check --attacker GBR --victim ARG --object forces --at Stanley --date 1982-05-01 --treaty rio
