check --attacker Russia --victim UK --object forces --at Yavoriv --date 2024-05-20 --treaty north-atlantic
