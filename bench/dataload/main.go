// Command dataload fills an org with Accounts through the data API, the way an integration
// would: POST /services/data/vXX.X/composite/sobjects with 200 records per request
// (salesforce-rest.md §7), several requests in flight. Account i is named P%07d (so
// bench/query.lua can find any of them by name) and has NumberOfEmployees = i % 1000.
// Every per-record result must be a success, or the command fails. It prints the records/s
// it sustained and can append a sample of the created Ids to a file (for bench/getid.lua).
//
// Usage: dataload -url http://127.0.0.1:18380 -token TOKEN -from 0 -to 1000000 [-conns 8]
// [-ids FILE -every 10]
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

const batch = 200 // the sObject Collections limit

type result struct {
	ID      string            `json:"id"`
	Success bool              `json:"success"`
	Errors  []json.RawMessage `json:"errors"`
}

func main() {
	base := flag.String("url", "http://127.0.0.1:18380", "server base URL")
	token := flag.String("token", "", "bearer access token")
	from := flag.Int("from", 0, "first record number")
	to := flag.Int("to", 10000, "record number to stop before")
	conns := flag.Int("conns", 8, "requests in flight")
	idsFile := flag.String("ids", "", "append a sample of the created Ids to this file")
	every := flag.Int("every", 10, "keep one Id in every N for -ids")
	version := flag.String("version", "v59.0", "API version")
	flag.Parse()

	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *conns}, Timeout: 2 * time.Minute}
	url := *base + "/services/data/" + *version + "/composite/sobjects"
	var (
		next    atomic.Int64
		created atomic.Int64
		mu      sync.Mutex
		ids     []string
		failed  atomic.Value
		wg      sync.WaitGroup
	)
	next.Store(int64(*from))
	start := time.Now()
	for range *conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for failed.Load() == nil {
				lo := int(next.Add(batch)) - batch
				if lo >= *to {
					return
				}
				hi := min(lo+batch, *to)
				res, err := post(client, url, *token, lo, hi)
				if err != nil {
					failed.Store(err)
					return
				}
				created.Add(int64(len(res)))
				if *idsFile != "" {
					mu.Lock()
					for i, r := range res {
						if (lo+i)%*every == 0 {
							ids = append(ids, r.ID)
						}
					}
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	if err, _ := failed.Load().(error); err != nil {
		log.Fatal(err)
	}
	n := created.Load()
	fmt.Printf("%d records in %.2f s: %.0f records/s\n", n, elapsed.Seconds(), float64(n)/elapsed.Seconds())
	if *idsFile != "" {
		f, err := os.OpenFile(*idsFile, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
		if err != nil {
			log.Fatal(err)
		}
		w := bufio.NewWriter(f)
		for _, id := range ids {
			w.WriteString(id + "\n")
		}
		if err := w.Flush(); err != nil {
			log.Fatal(err)
		}
		f.Close()
	}
}

// post creates Accounts lo..hi-1 in one collection request and returns their results,
// failing unless every one succeeded.
func post(client *http.Client, url, token string, lo, hi int) ([]result, error) {
	var b bytes.Buffer
	b.WriteString(`{"allOrNone":true,"records":[`)
	for i := lo; i < hi; i++ {
		if i > lo {
			b.WriteByte(',')
		}
		b.WriteString(`{"attributes":{"type":"Account"},"Name":"P`)
		b.WriteString(fmt.Sprintf("%07d", i))
		b.WriteString(`","NumberOfEmployees":`)
		b.WriteString(strconv.Itoa(i % 1000))
		b.WriteByte('}')
	}
	b.WriteString(`]}`)
	req, err := http.NewRequest(http.MethodPost, url, &b)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("records %d-%d: HTTP %d: %s", lo, hi, resp.StatusCode, body)
	}
	var res []result
	if err := json.Unmarshal(body, &res); err != nil {
		return nil, fmt.Errorf("records %d-%d: %w: %s", lo, hi, err, body)
	}
	if len(res) != hi-lo {
		return nil, fmt.Errorf("records %d-%d: %d results", lo, hi, len(res))
	}
	for i, r := range res {
		if !r.Success || r.ID == "" {
			return nil, fmt.Errorf("record %d failed: %s", lo+i, r.Errors)
		}
	}
	return res, nil
}
