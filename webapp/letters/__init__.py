"""Letter models for landlords: texts filled with the answers, repayment
schedule, printable HTML and PDF. Pure Python except the PDF font lookup."""
