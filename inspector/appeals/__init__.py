"""Appeals (申诉): a department contests a deduction; a supervisor upholds or overturns it."""
