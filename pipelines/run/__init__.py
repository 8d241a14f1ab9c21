"""`tradepulse run`: the whole pipeline in one process, then the headline KPIs."""
