package bulk

import (
	"net/http"

	"github.com/forcefield/forcefield/internal/query"
)

// bulkRefusesFields refuses what the Bulk APIs cannot select (salesforce-rest-more.md
// §7.3, §8.1):
//
//   - compound address and location fields: "Bulk API can't access or query compound
//     address or compound geolocation fields" (Bulk API Developer Guide, "Use Bulk
//     Query"). The text is Salesforce's, as clients quote it: Bulk 1.0 reports
//     "InvalidBatch : Failed to process query: FUNCTIONALITY_NOT_ENABLED: Selecting
//     compound data not supported in Bulk Query" (jsforce#380, haoide#137). FIELDS(STANDARD)
//     leaves compound fields out in a Bulk query (query.Options.Bulk), so only a named
//     one gets here.
//   - FIELDS(ALL) and FIELDS(CUSTOM): "Bulk API 2.0 … reject[s] ALL and CUSTOM" (SOQL and
//     SOSL Reference, "FIELDS()"). Salesforce's exact text is not known [UNCONFIRMED];
//     this one says what is refused, with the code of the other Bulk query restrictions.
func bulkRefusesFields(plan *query.Plan) error {
	if plan.Unbounded {
		return &Error{Code: CodeInvalidBatch, V2Code: "API_ERROR", Status: http.StatusBadRequest,
			Message: "Implementation restriction: FIELDS(ALL) and FIELDS(CUSTOM) are not supported by the Bulk API; name the fields or use FIELDS(STANDARD)"}
	}
	for i := range plan.Columns {
		if plan.Columns[i].Compound() {
			return &Error{Code: CodeInvalidBatch, V2Code: "FUNCTIONALITY_NOT_ENABLED", Status: http.StatusBadRequest,
				Message: "Selecting compound data not supported in Bulk Query"}
		}
	}
	return nil
}
