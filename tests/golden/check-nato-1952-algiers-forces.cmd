check --victim USA --object forces --at Algiers --date 1960-06-01 --treaty north-atlantic
