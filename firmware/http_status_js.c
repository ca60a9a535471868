/* The status page's script (http_status.c sends it a row per line): draws
 * the history charts as inline SVG from /history.json, extends them every
 * 2 s with the newest samples (?n=...) and swaps in the page's live tables
 * (#live) from a fresh GET /, so the page updates without reloading.  No
 * external script or font: a board on a LAN has no internet.
 *
 *   #cs   connections by state, stacked (LISTEN, constant, left out)
 *   #pl   each pool's level against its size (amber from 75 %)
 *   #rt   each counter's rate per second (the samples hold increases per
 *         period), scaled to its peak */
#include "http.h"

const char *const http_status_js[] = {
	"var H=null,C=['#94a3b8','#06b6d4','#f59e0b','#22c55e','#a855f7','#8b5cf6','#ef4444','#ec4899','#f97316','#6366f1'];\n",
	"function el(i){return document.getElementById(i)}\n",
	"function X(i,n,w){return (n>1?i*w/(n-1):w).toFixed(1)}\n",
	"function Y(v,m,h){return (h-Math.min(v,m)*h/m).toFixed(1)}\n",
	"function area(lo,hi,m,w,h){var n=hi.length,d='',i;for(i=0;i<n;i++)d+=(i?'L':'M')+X(i,n,w)+','+Y(hi[i],m,h);for(i=n-1;i>=0;i--)d+='L'+X(i,n,w)+','+Y(lo?lo[i]:0,m,h);return d+'Z'}\n",
	"function line(v,m,w,h){var n=v.length,d='';for(var i=0;i<n;i++)d+=(i?'L':'M')+X(i,n,w)+','+Y(v[i],m,h);return d}\n",
	"function svg(w,h,b){return '<svg viewBox=\"0 0 '+w+' '+h+'\" preserveAspectRatio=\"none\" class=ch>'+b+'</svg>'}\n",
	"function col(S,g,k){return S.map(function(x){return x[g][k]})}\n",
	"function peak(v){return Math.max.apply(null,v)}\n",
	"function small(name,v,m,note,warn){var c=warn?'#f59e0b':'#3b82f6';return '<div class=sm><div><b>'+name+'</b> '+v[v.length-1]+' <span class=g>'+note+'</span></div>'+svg(300,40,'<path d=\"'+area(null,v,m,300,40)+'\" fill=\"'+c+'\" fill-opacity=\".25\"/><path d=\"'+line(v,m,300,40)+'\" fill=\"none\" stroke=\"'+c+'\" stroke-width=\"1.5\" vector-effect=\"non-scaling-stroke\"/>')+'</div>'}\n",
	"function draw(){var S=H.samples,n=S.length,ns=H.states.length,i,k,b='',l='',m=1;if(!n)return;\n",
	"var cum=S.map(function(){return 0});for(i=0;i<n;i++){var t=0;for(k=1;k<ns;k++)t+=S[i].s[k];m=Math.max(m,t)}\n",
	"for(k=1;k<ns;k++){var lo=cum.slice(),v=col(S,'s',k);for(i=0;i<n;i++)cum[i]+=v[i];if(peak(v)>0)b+='<path d=\"'+area(lo,cum,m,600,150)+'\" fill=\"'+C[k]+'\"/>';l+='<span><i style=\"background:'+C[k]+'\"></i>'+H.states[k]+' '+v[n-1]+'</span>'}\n",
	"el('cs').innerHTML=svg(600,150,b);el('csl').innerHTML=l;el('csm').textContent='scale 0..'+m+' \\u00b7 LISTEN '+S[n-1].s[0]+' (not stacked)';\n",
	"var secs=Math.round(n*H.period_ms/1000);document.querySelectorAll('.span').forEach(function(e){e.textContent='last '+secs+' s'});\n",
	"var p='';for(k=0;k<H.pools.length;k++){var z=H.pool_sizes[k]||1,v=col(S,'p',k);p+=small(H.pools[k],v,z,'of '+z+' \\u00b7 peak '+peak(v),v[n-1]*4>=z*3)}el('pl').innerHTML=p;\n",
	"var r='';for(k=0;k<H.rates.length;k++){var v=col(S,'r',k).map(function(x){return Math.round(x*1000/H.period_ms)}),pk=peak(v);r+=small(H.rates[k]+'/s',v,pk||1,'peak '+pk,false)}el('rt').innerHTML=r}\n",
	"function get(u){return fetch(u,{cache:'no-store'}).then(function(r){if(!r.ok)throw r.status;return r})}\n",
	"function load(){return get('/history.json'+(H?'?n='+(Math.ceil(4000/H.period_ms)+2):'')).then(function(r){return r.json()}).then(function(j){\n",
	"if(H){var S=H.samples,last=S.length?S[S.length-1].n:-1;if(j.samples.length&&j.samples[0].n>last+1)return load(H=null);\n",
	"j.samples.forEach(function(s){if(s.n>last)S.push(s)});H.samples=S.slice(-H.depth)}else H=j;draw()}).catch(function(){})}\n",
	"function live(){get('/').then(function(r){return r.text()}).then(function(t){var d=new DOMParser().parseFromString(t,'text/html').getElementById('live');if(d)el('live').innerHTML=d.innerHTML}).catch(function(){})}\n",
	"load();setInterval(function(){load().then(live)},2000);\n",
};
const unsigned http_status_js_rows = sizeof(http_status_js) / sizeof(http_status_js[0]);
