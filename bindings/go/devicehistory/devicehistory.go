// Package devicehistory holds the device type of authenticate and recover
// responses, shaped like stytch-go's. This library records no devices, so a
// response's UserDevice is always nil.
package devicehistory

// DeviceInfo describes the device a request came from.
type DeviceInfo struct {
	VisitorID    string `json:"visitor_id,omitempty"`
	IPAddress    string `json:"ip_address,omitempty"`
	UserAgent    string `json:"user_agent,omitempty"`
	IPGeoCountry string `json:"ip_geo_country,omitempty"`
	IPGeoCity    string `json:"ip_geo_city,omitempty"`
	IPGeoRegion  string `json:"ip_geo_region,omitempty"`
}
