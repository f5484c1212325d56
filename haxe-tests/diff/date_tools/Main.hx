// Date and DateTools with fixed dates (the harnesses run in UTC).
class Main {
	static function p(label:String, v:Dynamic) {
		Sys.println(label + " = " + Std.string(v));
	}

	static function show(d:Date) {
		return d.toString() + " | " + d.getFullYear() + "/" + d.getMonth() + "/" + d.getDate() + " " + d.getHours() + ":" + d.getMinutes() + ":"
			+ d.getSeconds() + " day " + d.getDay() + " | utc " + d.getUTCFullYear() + "/" + d.getUTCMonth() + "/" + d.getUTCDate() + " "
			+ d.getUTCHours() + ":" + d.getUTCMinutes() + ":" + d.getUTCSeconds() + " day " + d.getUTCDay() + " | " + d.getTime() + " tz "
			+ d.getTimezoneOffset();
	}

	static function main() {
		var dates = [
			new Date(2020, 0, 1, 0, 0, 0),
			new Date(1999, 11, 31, 23, 59, 59),
			new Date(2000, 1, 29, 12, 30, 15),
			new Date(1970, 0, 1, 0, 0, 0),
			new Date(2024, 6, 4, 7, 8, 9),
			new Date(2037, 11, 31, 23, 59, 59),
			new Date(2021, 12, 1, 0, 0, 0),
			new Date(2021, 0, 32, 0, 0, 0),
			new Date(2021, 1, 28, 25, 61, 61),
			new Date(1985, 3, 15, 0, 0, 0),
		];
		for (d in dates)
			p("date", show(d));
		for (t in [0.0, 1000.0, 86400000.0, 951782400000.0, 1234567890000.0, 1234567890123.0, 2000000000000.0, -1000.0])
			p("fromTime " + t, show(Date.fromTime(t)));
		for (s in ["2020-02-29 13:14:15", "2001-01-01", "10:20:30", "1970-01-01 00:00:00", "2038-01-01 00:00:00"])
			p("fromString " + s, show(Date.fromString(s)));
		for (s in ["2020/01/01", "garbage", "", "2020-1-1"]) {
			try {
				p("fromString bad " + s, show(Date.fromString(s)));
			} catch (e:Dynamic) {
				p("fromString bad " + s, e);
			}
		}

		var d = new Date(2021, 2, 14, 15, 9, 26);
		for (f in ["%Y-%m-%d %H:%M:%S", "%d/%m/%y", "%e", "%j", "%a %A %b %B", "%C %D %F %T %R", "%I %l %k %p", "%s", "%u %w",
			"%%", "%n%t", "%G %g %V %U %W", "plain text"]) {
			try {
				p("format " + f, DateTools.format(d, f));
			} catch (e:Dynamic) {
				p("format " + f, "error " + e);
			}
		}
		p("format midnight", DateTools.format(new Date(2021, 0, 1, 0, 5, 0), "%I %l %p %H"));
		p("format noon", DateTools.format(new Date(2021, 0, 1, 12, 5, 0), "%I %l %p %H"));
		p("delta day", show(DateTools.delta(d, DateTools.days(1))));
		p("delta -hours", show(DateTools.delta(d, -DateTools.hours(40))));
		p("days", DateTools.days(2));
		p("hours", DateTools.hours(3));
		p("minutes", DateTools.minutes(4));
		p("seconds", DateTools.seconds(5));
		p("make", DateTools.make({seconds: 5, minutes: 4, hours: 3, days: 2, ms: 1}));
		p("parse", DateTools.parse(DateTools.make({seconds: 5, minutes: 4, hours: 3, days: 2, ms: 1})));
		for (y in [1900, 2000, 2020, 2021, 2100])
			for (m in [0, 1, 3, 11])
				p("monthDays " + y + "/" + m, DateTools.getMonthDays(new Date(y, m, 1, 0, 0, 0)));
		p("compare", Reflect.compare(new Date(2020, 0, 1, 0, 0, 0).getTime(), new Date(2021, 0, 1, 0, 0, 0).getTime()));
		p("Std.string", Std.string(new Date(2022, 4, 5, 6, 7, 8)));
		p("concat", "date: " + new Date(2022, 4, 5, 6, 7, 8));
		var t = 1600000000123.0;
		var dt = Date.fromTime(t);
		p("time roundtrip", dt.getTime());
		p("time via string", Date.fromString(dt.toString()).getTime());
	}
}
